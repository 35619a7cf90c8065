// IndexFollower: one thread applying the change log as it grows.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/log.h"
#include "search/search.h"

namespace baogao::search {
namespace {

class ThreadFollower final : public IndexFollower {
 public:
  ThreadFollower(store::Store& store, const IndexOptions& options, int poll_ms)
      : store_(store), options_(options), poll_(poll_ms) {}

  ~ThreadFollower() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Begin() {
    thread_ = std::thread([this] { Run(); });
  }

  // Lock-free: the site asks on every request.
  int64_t sequence() const override { return sequence_.load(std::memory_order_acquire); }
  Status last_status() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  void Notify() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      notified_ = true;
    }
    wake_.notify_all();
  }
  bool WaitFor(int64_t seq, int timeout_ms) override {
    std::unique_lock<std::mutex> lock(mu_);
    return progressed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                [&] { return sequence_.load() >= seq; });
  }

 private:
  void Run() {
    std::unique_ptr<IndexWriter> writer;
    for (;;) {
      Status st = Status::Ok();
      if (writer == nullptr) {
        auto w = IndexWriter::Open(options_);
        if (w.ok()) {
          writer = std::move(*w);
        } else {
          st = w.status();
        }
      }
      if (writer != nullptr) {
        auto n = writer->CatchUp(
            store_,
            [this] {
              std::lock_guard<std::mutex> lock(mu_);
              return stop_;
            },
            [this, &writer](const IndexProgress&) { Publish(writer->sequence()); });
        if (n.ok()) {
          Publish(writer->sequence());
        } else {
          st = n.status();
          // Reopen next time: the generation may have been replaced.
          writer.reset();
        }
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (!st.ok() && status_.ok()) {
        LOG(kWarning) << "search index: " << st.ToString();
      }
      status_ = st;
      wake_.wait_for(lock, poll_, [this] { return stop_ || notified_; });
      notified_ = false;
      if (stop_) return;
    }
  }

  void Publish(int64_t seq) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      sequence_ = seq;
    }
    progressed_.notify_all();
  }

  store::Store& store_;
  IndexOptions options_;
  std::chrono::milliseconds poll_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable progressed_;
  bool stop_ = false;
  bool notified_ = false;
  std::atomic<int64_t> sequence_{0};
  Status status_;
};

}  // namespace

Result<std::unique_ptr<IndexFollower>> IndexFollower::Start(store::Store& store,
                                                            const IndexOptions& options,
                                                            int poll_interval_ms) {
  if (poll_interval_ms < 1) return Status::InvalidArgument("poll interval must be >= 1 ms");
  if (options.dictionary == nullptr) return Status::InvalidArgument("no segmentation dictionary");
  auto f = std::make_unique<ThreadFollower>(store, options, poll_interval_ms);
  f->Begin();
  return std::unique_ptr<IndexFollower>(std::move(f));
}

}  // namespace baogao::search
