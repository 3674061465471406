#include "async/thread.h"

// Thread is a plain record; its transitions are made by the AsyncStore (store.cpp), which
// owns the ready queue that the spec's Store.waiting is.
