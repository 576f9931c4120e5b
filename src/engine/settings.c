/* settings.c: placeholder until its module lands. */
#include "logitscope/error.h"
