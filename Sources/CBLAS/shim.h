// The only place in ArxivDigest that includes CBLAS and LAPACKE.
#include <cblas.h>
#include <lapacke.h>
