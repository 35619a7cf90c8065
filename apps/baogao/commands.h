// Subcommands of the baogao binary. Each Register* adds one CLI11
// subcommand whose callback sets *exit_code.
#ifndef BAOGAO_APPS_BAOGAO_COMMANDS_H_
#define BAOGAO_APPS_BAOGAO_COMMANDS_H_

namespace CLI {
class App;
}

namespace baogao::cli {

void RegisterSegment(CLI::App& app, int* exit_code);
void RegisterDict(CLI::App& app, int* exit_code);
void RegisterStore(CLI::App& app, int* exit_code);
void RegisterImport(CLI::App& app, int* exit_code);

}  // namespace baogao::cli

#endif  // BAOGAO_APPS_BAOGAO_COMMANDS_H_
