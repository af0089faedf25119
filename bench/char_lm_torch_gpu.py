#!/usr/bin/env python3
"""bench/char_lm_torch.py on the GPU (tools/gpu_check.sh runs bench/*_torch_gpu.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import char_lm_torch  # noqa: E402

if __name__ == "__main__":
    sys.argv[1:1] = ["--device", "cuda"]
    char_lm_torch.main()
