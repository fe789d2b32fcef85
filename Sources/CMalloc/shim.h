// glibc's allocator tuning (mallopt), which Swift's Glibc module leaves out.
#if defined(__GLIBC__) || (defined(__linux__) && __has_include(<malloc.h>))
#include <malloc.h>
#endif
