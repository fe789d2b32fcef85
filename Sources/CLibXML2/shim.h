// The only place in ArxivDigest that includes libxml2.
#include <libxml/xmlversion.h>
// Ubuntu's libxml2 is built with ICU, and <libxml/encoding.h> then includes ICU's <unicode/ucnv.h>,
// whose UErrorCode clashes with the copy of ICU inside Foundation. ArxivDigest never touches
// encoding handlers (only pointers to them), so hiding the ICU part of that header is safe.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
