#include "tools/hec/Gnuplot.h"
#include "tools/hec/Results.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/format.h>

#include <cmath>
#include <unistd.h>
#include <vector>

using namespace hec;

std::string gnuplot::quote(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string gnuplot::number(double value) {
  if (value == 0) // never "-0"
    return "0";
  return fmt::format("{:.6g}", value);
}

namespace {
// A single-quoted gnuplot string: no escapes but '' for '.
std::string singleQuoted(llvm::StringRef text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The script: the data, then the drawing once per format. Text is plain
// (noenhanced): method names hold underscores, and x² is written as such.
std::string scriptText(const std::string &name, const gnuplot::Script &s) {
  std::string size = fmt::format("size {},{}", s.width, s.height);
  return fmt::format(
      "# {0}.png and {0}.svg, drawn by `hec plot`. To restyle by hand, edit\n"
      "# this file and run `gnuplot {0}.gp` in its folder.\n"
      "set encoding utf8\n"
      "{1}"
      "do for [format in \"png svg\"] {{\n"
      "  if (format eq \"png\") {{\n"
      "    set terminal pngcairo {2} font \"sans,11\" noenhanced\n"
      "  }} else {{\n"
      "    set terminal svg {2} font \"sans,11\" noenhanced "
      "background rgb \"white\"\n"
      "  }}\n"
      "  set output \"{0}.\".format\n"
      "{3}"
      "  unset output\n"
      "}}\n",
      name, s.data, size, s.draw);
}
} // namespace

llvm::Error gnuplot::available() {
  if (llvm::sys::findProgramByName("gnuplot"))
    return llvm::Error::success();
  return llvm::createStringError(
      std::errc::no_such_file_or_directory,
      "cannot draw the figures: gnuplot is not on PATH (Debian: apt-get "
      "install gnuplot-nox; scripts/install-deps.sh installs it)");
}

llvm::Error gnuplot::draw(const std::string &dir, const std::string &name,
                          const Script &script) {
  std::string scriptPath = dir + "/" + name + ".gp";
  if (auto err = writeFileAtomically(scriptPath, scriptText(name, script)))
    return err;
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName("gnuplot");
  if (!program)
    return available();
  llvm::SmallString<128> messages;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("hec-gnuplot", "txt", messages))
    return llvm::createStringError(ec,
                                   "%s: cannot create a temporary file "
                                   "for gnuplot's messages: %s",
                                   scriptPath.c_str(), ec.message().c_str());
  // gnuplot writes its outputs where it runs: `cd` first, then the script
  // by its absolute path.
  llvm::SmallString<256> absolute(scriptPath);
  if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
    return llvm::createStringError(ec, "%s: cannot make the path absolute: %s",
                                   scriptPath.c_str(), ec.message().c_str());
  std::string cd = "cd " + singleQuoted(dir);
  llvm::StringRef args[] = {*program, "-e", cd, absolute};
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""),
                                                llvm::StringRef(messages),
                                                llvm::StringRef(messages)};
  // The same locale everywhere: figures that do not depend on the user's,
  // and UTF-8 text (λ, x²) that gnuplot can convert.
  std::vector<std::string> environment;
  for (char **e = environ; *e; ++e)
    if (!llvm::StringRef(*e).starts_with("LC_ALL="))
      environment.push_back(*e);
  environment.push_back("LC_ALL=C.UTF-8");
  std::vector<llvm::StringRef> env(environment.begin(), environment.end());
  std::string failure;
  int rc = llvm::sys::ExecuteAndWait(*program, args, env, redirects,
                                     /*SecondsToWait=*/120, 0, &failure);
  std::string said;
  if (auto buffer = llvm::MemoryBuffer::getFile(messages))
    said = llvm::StringRef((*buffer)->getBuffer()).trim().str();
  llvm::sys::fs::remove(messages);
  if (rc != 0 || !said.empty())
    return llvm::createStringError(
        std::errc::invalid_argument, "%s: gnuplot %s%s%s", scriptPath.c_str(),
        rc != 0 ? ("failed (exit " + std::to_string(rc) + ")").c_str()
                : "warned",
        failure.empty() ? "" : (": " + failure).c_str(),
        said.empty() ? "" : (":\n" + said).c_str());
  return llvm::Error::success();
}
