# Usage: reduced_quickstart.py experiments/quickstart.toml > reduced.toml
# The README's quickstart made small enough for the test suite: its first
# 512 training and 256 test images, the baseline and tp_st_kd (which waits
# for its seed's baseline), two seeds, one thread (so that a job and a
# local run sum in the same order), and a [slurm] table. Every other
# setting is the quickstart's own. Fails, naming the line, when the
# quickstart no longer has a line this expects.
import re
import sys

replacements = [
    (r"^methods = .*$", 'methods = ["baseline", "tp_st_kd"]'),
    (r"^train_subset = \d+$", "train_subset = 512"),
    (r"^test_subset = \d+$", "test_subset = 256"),
    (r"^seeds = \[.*\]$", "seeds = [111, 222]\nthreads = 1"),
]
text = open(sys.argv[1]).read()
for pattern, replacement in replacements:
    text, n = re.subn(pattern, replacement, text, flags=re.M)
    if n != 1:
        sys.exit(f"reduced_quickstart.py: {sys.argv[1]} has {n} lines "
                 f"matching {pattern!r}, expected 1")
text = re.sub(r'^name = "quickstart"$', 'name = "quickstart-reduced"', text,
              flags=re.M)
print(text.rstrip("\n"))
print('\n[slurm]\ncpus_per_task = 1\ntime = "10:00"')
