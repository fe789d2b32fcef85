import Classifiers

extension TrainedClassifier {
    /// Every learned number is finite and within ``ParameterLimit/magnitude`` (what reading a model file
    /// checks). A NaN or infinite weight (e.g. naive Bayes with alpha 0, where an unseen term has probability 0)
    /// makes predictions `null` or arbitrary, so such a model is refused, not stored.
    /// - Throws: `TrainingError.nonFiniteModel` naming the option to change.
    func requireFinite() throws {
        switch self {
        case .logisticRegression(let model):
            guard ParameterLimit.allowsAll(model.weights.values), ParameterLimit.allowsAll(model.intercepts) else {
                throw TrainingError.nonFiniteModel(what: "logistic-regression weights", fix: "lower --C or --keyword-votes")
            }
        case .multinomialNB(let model):
            guard ParameterLimit.allowsAll(model.featureLogProb.values), ParameterLimit.allowsAll(model.classLogPrior) else {
                throw TrainingError.nonFiniteModel(what: "naive Bayes log-probabilities", fix: "raise --alpha above 0 or lower --keyword-votes")
            }
        case .complementNB(let model):
            guard ParameterLimit.allowsAll(model.featureLogProb.values), ParameterLimit.allowsAll(model.classLogPrior) else {
                throw TrainingError.nonFiniteModel(what: "complement naive Bayes log-probabilities", fix: "raise --alpha above 0 or lower --keyword-votes")
            }
        }
    }
}
