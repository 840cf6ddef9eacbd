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
