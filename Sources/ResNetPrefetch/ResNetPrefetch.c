// Everything this module offers is the inline functions of include/ResNetPrefetch.h; SwiftPM
// needs one source file to build a C target.
#include "ResNetPrefetch.h"
