// baogao: one binary, one subcommand per job. See `baogao --help`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "base/log.h"
#include "commands.h"

#ifndef BAOGAO_VERSION
#define BAOGAO_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  int exit_code = 0;
  try {
    CLI::App app{
        "baogao (报告): archive, search engine and analysis workbench for Chinese local "
        "government reports."};
    app.set_version_flag("--version", std::string("baogao ") + BAOGAO_VERSION);
    app.require_subcommand(1);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Log debug messages to stderr");
    baogao::cli::RegisterSegment(app, &exit_code);
    baogao::cli::RegisterDict(app, &exit_code);
    baogao::cli::RegisterStore(app, &exit_code);
    baogao::cli::RegisterImport(app, &exit_code);
    baogao::cli::RegisterRegions(app, &exit_code);
    baogao::cli::RegisterSearch(app, &exit_code);
    baogao::cli::RegisterServe(app, &exit_code);
    baogao::cli::RegisterAdmin(app, &exit_code);
    app.parse_complete_callback([&] {
      if (verbose) baogao::SetLogLevel(baogao::LogLevel::kDebug);
    });
    CLI11_PARSE(app, argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baogao: %s\n", e.what());
    return 70;
  }
  return exit_code;
}
