import os
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

# tools/he-ckks: Node.js and the npm packages scripts/install-deps.sh installs.
import shutil
he_ckks = os.path.join(config.he_src_root, "tools", "he-ckks")
config.substitutions.append(("%he_ckks", he_ckks))
if shutil.which("node") and os.path.isdir(os.path.join(he_ckks, "node_modules", "node-seal")):
    config.available_features.add("he-ckks")
