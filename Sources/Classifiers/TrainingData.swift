import LinearAlgebra

/// The checks every classifier runs on its training input before any arithmetic.
enum TrainingData {
    static func validate(
        _ x: SparseMatrix, labels: [Int], classes: [String], minimumClasses: Int
    ) throws(ClassifierError) -> [Int] {
        guard x.rowCount > 0, x.columnCount > 0 else {
            throw .emptyMatrix(rowCount: x.rowCount, columnCount: x.columnCount)
        }
        guard classes.count >= minimumClasses else { throw .tooFewClasses(count: classes.count, minimum: minimumClasses) }
        guard labels.count == x.rowCount else { throw .labelCountMismatch(labelCount: labels.count, rowCount: x.rowCount) }
        var counts = [Int](repeating: 0, count: classes.count)
        for (row, label) in labels.enumerated() {
            guard label >= 0, label < classes.count else {
                throw .labelOutOfRange(row: row, label: label, classCount: classes.count)
            }
            counts[label] += 1
        }
        if let empty = counts.firstIndex(of: 0) { throw .classWithoutExamples(classIndex: empty, className: classes[empty]) }
        return counts
    }

    static func requireNonNegative(_ x: SparseMatrix) throws(ClassifierError) {
        for row in 0..<x.rowCount {
            for e in x.entryRange(ofRow: row) where x.values[e] < 0 {
                throw .negativeFeatureValue(row: row, column: Int(x.columns[e]), value: x.values[e])
            }
        }
    }
}
