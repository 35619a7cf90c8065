// `baogao admin add USER`, `admin passwd USER` and `admin list`: the site's
// admin accounts (issue 6), from the command line. Passwords are read from
// the terminal with echo off (twice), or as one line from stdin when stdin is
// not a terminal (scripts, tests); they never appear in argv.
#include <fmt/format.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "store/store.h"
#include "web/password.h"

namespace baogao::cli {
namespace {

constexpr const char* kDefaultDb = "./baogao.db";
// Who the audit log names for changes made here (no admin is logged in).
constexpr const char* kAuditActor = "cli";

// Exit codes: 0 done; 1 the user exists, or a database error; 2 bad input
// (user name, password policy, passwords that differ, no password);
// 3 no such user or no database.
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitNotFound = 3;

struct AdminArgs {
  std::string db = kDefaultDb;
  std::string user;
};

void AddDbOption(CLI::App* cmd, std::string* db) {
  cmd->add_option("--db", *db, "Database: a SQLite file path (or sqlite:PATH)")
      ->capture_default_str();
}

int Fail(std::string_view cmd, const Status& st) {
  std::fprintf(stderr, "baogao admin %.*s: %s\n", static_cast<int>(cmd.size()), cmd.data(),
               st.ToString().c_str());
  return st.code() == StatusCode::kNotFound ? kExitNotFound : kExitFailed;
}

int FailWith(std::string_view cmd, int code, const std::string& message) {
  std::fprintf(stderr, "baogao admin %.*s: %s\n", static_cast<int>(cmd.size()), cmd.data(),
               message.c_str());
  return code;
}

// The store's rule for names (store/community.h), checked here too so that
// a bad name is refused before the password is asked for.
bool ValidUserName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

Result<std::unique_ptr<store::Store>> Open(const std::string& db) {
  store::StoreOptions opts;
  opts.url = db;
  opts.create_if_missing = false;  // a mistyped --db must not make a new database
  return store::OpenStore(opts);
}

// ---- Reading the password ----

// The terminal's settings while echo is off, for the signal handler.
struct termios g_saved_termios;
volatile sig_atomic_t g_echo_off = 0;

// Ctrl-C (or a hangup) at the prompt: give the terminal its echo back, then
// die of the signal as usual.
extern "C" void RestoreEchoAndDie(int sig) {
  if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Turns the terminal's echo off for its lifetime (the Enter key still shows
// as a new line), with handlers that turn it back on if a signal ends the
// program at the prompt.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
    for (size_t i = 0; i < kSignals.size(); ++i) {
      struct sigaction sa = {};
      sa.sa_handler = RestoreEchoAndDie;
      ::sigemptyset(&sa.sa_mask);
      ::sigaction(kSignals[i], &sa, &old_actions_[i]);
    }
    struct termios t = g_saved_termios;
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    t.c_lflag |= ECHONL;
    g_echo_off = 1;
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0) g_echo_off = 0;
    installed_ = true;
  }
  ~EchoOff() {
    if (!installed_) return;
    if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    g_echo_off = 0;
    for (size_t i = 0; i < kSignals.size(); ++i) {
      ::sigaction(kSignals[i], &old_actions_[i], nullptr);
    }
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  static constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  std::array<struct sigaction, kSignals.size()> old_actions_ = {};
  bool installed_ = false;
};

// One line of stdin without its "\n" or "\r\n". Keeps at most one byte more
// than a password may have, so that an overlong line is still reported as
// too long. kInvalidArgument at end of input before any byte; kIoError.
Result<std::string> ReadLine() {
  std::string line;
  bool any = false;
  for (;;) {
    int c = std::getc(stdin);
    if (c == EOF) break;
    any = true;
    if (c == '\n') break;
    if (line.size() <= web::kMaxPasswordBytes) line += static_cast<char>(c);
  }
  if (std::ferror(stdin)) return Status::IoError("reading the password from stdin failed");
  if (!any) return Status::InvalidArgument("no password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: from the terminal, asked twice; else one line of stdin.
// kInvalidArgument (with a message for the user) when there is none, the two
// differ, or it fails the password policy; kIoError.
Result<std::string> ReadNewPassword(const std::string& user) {
  std::string password;
  if (::isatty(STDIN_FILENO)) {
    EchoOff echo_off;
    std::fprintf(stderr, "New password for %s: ", user.c_str());
    std::fflush(stderr);
    BAOGAO_ASSIGN_OR_RETURN(password, ReadLine());
    std::fprintf(stderr, "Repeat the password: ");
    std::fflush(stderr);
    BAOGAO_ASSIGN_OR_RETURN(std::string again, ReadLine());
    if (again != password) return Status::InvalidArgument("the two passwords differ");
  } else {
    BAOGAO_ASSIGN_OR_RETURN(password, ReadLine());
  }
  if (std::string why = web::CheckNewPassword(password); !why.empty()) {
    return Status::InvalidArgument(why);
  }
  return password;
}

// Reads the new password and hashes it; on failure prints why and returns
// the exit code in *exit_code.
bool NewPasswordHash(std::string_view cmd, const std::string& user, std::string* hash,
                     int* exit_code) {
  auto password = ReadNewPassword(user);
  if (!password.ok()) {
    *exit_code = password.status().code() == StatusCode::kInvalidArgument
                     ? FailWith(cmd, kExitBadInput, password.status().message())
                     : Fail(cmd, password.status());
    return false;
  }
  auto hashed = web::HashPassword(*password, web::SystemRandom());
  if (!hashed.ok()) {
    *exit_code = Fail(cmd, hashed.status());
    return false;
  }
  *hash = std::move(hashed).value();
  return true;
}

// ---- The commands ----

// Whether `user` exists: the check before asking for a password.
Result<bool> UserExists(store::Store& db, const std::string& user) {
  bool exists = false;
  Status st = db.RunInReadTransaction([&](store::Transaction& tx) -> Status {
    auto u = tx.GetAdminUser(user);
    if (u.ok()) {
      exists = true;
      return Status::Ok();
    }
    return u.status().code() == StatusCode::kNotFound ? Status::Ok() : u.status();
  });
  if (!st.ok()) return st;
  return exists;
}

store::AuditEntry Audit(std::string action, const std::string& user) {
  store::AuditEntry e;
  e.actor = kAuditActor;
  e.action = std::move(action);
  e.target = "user:" + user;
  return e;
}

int RunAdd(const AdminArgs& a) {
  constexpr std::string_view kCmd = "add";
  if (!ValidUserName(a.user)) {
    return FailWith(kCmd, kExitBadInput,
                    "invalid user name (1 to 64 of the characters A-Z a-z 0-9 . _ -)");
  }
  auto db = Open(a.db);
  if (!db.ok()) return Fail(kCmd, db.status());
  auto exists = UserExists(**db, a.user);
  if (!exists.ok()) return Fail(kCmd, exists.status());
  if (*exists) return FailWith(kCmd, kExitFailed, "user exists: " + a.user);
  std::string hash;
  if (int exit_code = 0; !NewPasswordHash(kCmd, a.user, &hash, &exit_code)) return exit_code;
  Status st = (*db)->RunInTransaction([&](store::Transaction& tx) -> Status {
    store::AdminUser user;
    user.name = a.user;
    user.password_hash = hash;
    BAOGAO_RETURN_IF_ERROR(tx.CreateAdminUser(user));
    return tx.AppendAudit(Audit("user.add", a.user)).status();
  });
  if (st.code() == StatusCode::kAlreadyExists) {
    return FailWith(kCmd, kExitFailed, "user exists: " + a.user);
  }
  if (!st.ok()) return Fail(kCmd, st);
  std::printf("added admin user %s\n", a.user.c_str());
  return 0;
}

int RunPasswd(const AdminArgs& a) {
  constexpr std::string_view kCmd = "passwd";
  if (!ValidUserName(a.user)) {
    return FailWith(kCmd, kExitBadInput,
                    "invalid user name (1 to 64 of the characters A-Z a-z 0-9 . _ -)");
  }
  auto db = Open(a.db);
  if (!db.ok()) return Fail(kCmd, db.status());
  auto exists = UserExists(**db, a.user);
  if (!exists.ok()) return Fail(kCmd, exists.status());
  if (!*exists) return FailWith(kCmd, kExitNotFound, "no such user: " + a.user);
  std::string hash;
  if (int exit_code = 0; !NewPasswordHash(kCmd, a.user, &hash, &exit_code)) return exit_code;
  // One transaction: the new hash, the end of every session opened with the
  // old password, and the audit entry, all or nothing.
  Status st = (*db)->RunInTransaction([&](store::Transaction& tx) -> Status {
    BAOGAO_RETURN_IF_ERROR(tx.SetAdminPassword(a.user, hash));
    BAOGAO_RETURN_IF_ERROR(tx.DeleteSessionsOf(a.user));
    return tx.AppendAudit(Audit("user.passwd", a.user)).status();
  });
  if (!st.ok()) return Fail(kCmd, st);
  std::printf("changed the password of %s; their sessions have ended\n", a.user.c_str());
  return 0;
}

std::string UtcTime(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm = {};
  if (::gmtime_r(&t, &tm) == nullptr) return std::to_string(unix_seconds);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int RunList(const AdminArgs& a) {
  constexpr std::string_view kCmd = "list";
  auto db = Open(a.db);
  if (!db.ok()) return Fail(kCmd, db.status());
  std::vector<store::AdminUser> users;
  Status st = (*db)->RunInReadTransaction([&](store::Transaction& tx) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(users, tx.ListAdminUsers());
    return Status::Ok();
  });
  if (!st.ok()) return Fail(kCmd, st);
  size_t width = 0;
  for (const store::AdminUser& u : users) width = std::max(width, u.name.size());
  for (const store::AdminUser& u : users) {
    std::printf("%-*s  %s\n", static_cast<int>(width), u.name.c_str(),
                UtcTime(u.created_at).c_str());
  }
  if (users.empty()) std::fprintf(stderr, "no admin users (add one with `baogao admin add`)\n");
  return 0;
}

}  // namespace

void RegisterAdmin(CLI::App& app, int* exit_code) {
  CLI::App* admin = app.add_subcommand(
      "admin",
      "Manage the site's admin accounts. Exit codes: 1 user exists or database error, 2 bad "
      "name or password, 3 no such user or database");
  admin->require_subcommand(1);
  {
    auto a = std::make_shared<AdminArgs>();
    CLI::App* cmd = admin->add_subcommand(
        "add",
        "Create an admin account. The password is asked for twice on the terminal (not "
        "echoed), or read as one line from stdin when stdin is not a terminal");
    cmd->add_option("USER", a->user, "User name: 1 to 64 of A-Z a-z 0-9 . _ -")->required();
    AddDbOption(cmd, &a->db);
    cmd->callback([a, exit_code] { *exit_code = RunAdd(*a); });
  }
  {
    auto a = std::make_shared<AdminArgs>();
    CLI::App* cmd = admin->add_subcommand(
        "passwd", "Change an admin's password (read as for add) and end all of their sessions");
    cmd->add_option("USER", a->user, "User name")->required();
    AddDbOption(cmd, &a->db);
    cmd->callback([a, exit_code] { *exit_code = RunPasswd(*a); });
  }
  {
    auto a = std::make_shared<AdminArgs>();
    CLI::App* cmd =
        admin->add_subcommand("list", "List the admin accounts: name and creation time (UTC)");
    AddDbOption(cmd, &a->db);
    cmd->callback([a, exit_code] { *exit_code = RunList(*a); });
  }
}

}  // namespace baogao::cli
