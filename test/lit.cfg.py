import os
import shutil
import subprocess
import lit.formats

config.name = "hec"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".toml", ".test"]
config.excludes = ["Inputs", "unit", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.he_obj_root, "test")

tools = os.path.join(config.he_obj_root, "bin")
config.environment["PATH"] = os.pathsep.join(
    [tools, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%src", config.he_src_root))
config.substitutions.append(("%mlir_include", config.mlir_include_dir))
if config.he_runtime:
    config.available_features.add("runtime")

# The ONNX export's tests read the files back with Debian's python3-onnx
# (importable by /usr/bin/python3 only) and run them in ONNX Runtime (the npm
# package in tools/onnx-check, installed by scripts/install-deps.sh).
onnx_python = "/usr/bin/python3"
if os.path.exists(onnx_python) and subprocess.run(
        [onnx_python, "-c", "import onnx, onnx.checker"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("onnx-python")
config.substitutions.append(
    ("%onnx_dump", onnx_python + " " + os.path.join(
        config.he_src_root, "test", "Target", "ONNX", "Inputs", "dump_onnx.py")))
config.substitutions.append(
    ("%onnx_random", onnx_python + " " + os.path.join(
        config.he_src_root, "test", "Target", "ONNX", "Inputs", "random_inputs.py")))
onnx_check = os.path.join(config.he_src_root, "tools", "onnx-check")
node = shutil.which("node")
if node and os.path.isdir(os.path.join(onnx_check, "node_modules",
                                       "onnxruntime-node")):
    config.available_features.add("onnxruntime")
config.substitutions.append(
    ("%onnx_run", (node or "node") + " " + os.path.join(onnx_check, "run.js")))

# tools/he-ckks: Node.js and the npm packages scripts/install-deps.sh installs.
he_ckks = os.path.join(config.he_src_root, "tools", "he-ckks")
config.substitutions.append(("%he_ckks", he_ckks))
if shutil.which("node") and os.path.isdir(os.path.join(he_ckks, "node_modules", "node-seal")):
    config.available_features.add("he-ckks")
fashion_mnist = "/usr/share/datasets/fashion-mnist"
config.substitutions.append(("%fashion_mnist", fashion_mnist))
if os.path.exists(os.path.join(fashion_mnist, "t10k-images-idx3-ubyte.gz")):
    config.available_features.add("fashion-mnist")

# Slurm (hec --slurm): the tests start a one-node cluster of their own with
# test/slurm/cluster.sh; tried once here, and where it cannot start (no
# slurm-wlm or munge, not root) the tests are skipped, saying why.
slurm_probe = os.path.join(config.he_src_root, "test", "slurm", "cluster.sh")
if config.he_runtime:
    import tempfile
    with tempfile.TemporaryDirectory(prefix="hec-slurm-probe") as probe:
        started = subprocess.run([slurm_probe, "start", probe],
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        subprocess.run([slurm_probe, "stop", probe],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if started.returncode == 0:
        config.available_features.add("slurm")
    else:
        lit_config.note("Slurm tests skipped: " + started.stderr.strip())

# hec plot draws its figures with gnuplot (Debian gnuplot-nox, installed by
# scripts/install-deps.sh).
if shutil.which("gnuplot"):
    config.available_features.add("gnuplot")
