// The umbrella header: everything a cuseq user needs.
#pragma once

#include "cuseq/device.h"
#include "cuseq/dtype.h"
#include "cuseq/error.h"
#include "cuseq/memory.h"
#include "cuseq/ops.h"
#include "cuseq/philox.h"
#include "cuseq/rng.h"
#include "cuseq/shape.h"
#include "cuseq/stream.h"
#include "cuseq/tensor.h"
#include "cuseq/version.h"
