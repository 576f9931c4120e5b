/* load_npy.c: placeholder until its module lands. */
#include "logitscope/error.h"
