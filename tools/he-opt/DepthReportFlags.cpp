#include "tools/he-opt/DepthReportFlags.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace he {
std::vector<std::string>
rewriteDepthReportFlags(llvm::ArrayRef<std::string> args) {
  std::vector<std::string> out;
  std::vector<std::string> options;
  std::optional<size_t> reportAt;
  bool hasOutput = false;
  bool positionalOnly = false;

  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (i == 0 || positionalOnly || !arg.starts_with("-") || arg == "-") {
      out.push_back(arg.str());
      continue;
    }
    if (arg == "--") {
      positionalOnly = true;
      out.push_back(arg.str());
      continue;
    }
    // llvm::cl takes one or two dashes alike.
    llvm::StringRef body = arg.drop_front(arg.starts_with("--") ? 2 : 1);
    if (body == "o" || body.starts_with("o="))
      hasOutput = true;

    llvm::StringRef rest = body;
    if (!rest.consume_front("depth-report")) {
      out.push_back(arg.str());
      continue;
    }
    if (rest.empty() || rest.consume_front("=")) {
      // `--depth-report` or the pass's own `--depth-report=opts`.
      if (!rest.empty())
        options.push_back(rest.str());
    } else if (rest.consume_front("-") && !rest.empty()) {
      auto [name, value] = rest.split('=');
      if (rest.contains('='))
        options.push_back((name + "=" + value).str());
      else if (i + 1 < args.size())
        options.push_back((name + "=" + args[++i]).str());
      else
        options.push_back(name.str()); // the pass parser names the error
    } else {
      out.push_back(arg.str()); // some other flag that shares the prefix
      continue;
    }
    if (!reportAt)
      reportAt = out.size();
  }

  if (!reportAt)
    return out;
  std::string flag = "--depth-report";
  if (!options.empty())
    flag += "=" + llvm::join(options, " ");
  out.insert(out.begin() + *reportAt, flag);
  if (!hasOutput) {
    out.push_back("-o");
    out.push_back("/dev/null");
  }
  return out;
}
} // namespace he
