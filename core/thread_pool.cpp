// The CPU thread pool (core/detail/thread_pool.h) and cuseq/threads.h.
//
// One word, claim_, publishes a loop and hands out its tasks: the high 32 bits
// count loops (a generation), the low 32 bits the tasks not yet claimed. A
// thread claims task `left - 1` by a compare-and-swap that also checks the
// generation, so a worker that wakes up late can never take a task of a loop
// that has ended, or of the next one. The runner and context of a loop are
// only read after a successful claim, while its caller still waits for that
// task: they cannot have changed.
//
// An idle worker polls claim_ for kDefaultSpin (loops of one training step come
// microseconds apart, and waking a sleeping thread costs tens of them), then
// sleeps on a condition variable until the next loop; CUSEQ_SPIN_MICROSECONDS
// changes the spin (0: sleep at once).
#include "core/detail/thread_pool.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cuseq/error.h"
#include "cuseq/threads.h"

namespace cuseq::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::microseconds kDefaultSpin{50};
constexpr int kMaxThreads = 1024;
constexpr std::int64_t kMaxTasks = (std::int64_t{1} << 31) - 1;

thread_local bool inside_task = false;

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// A positive integer from the environment, or 0 when unset; a bad value is
// reported on stderr once and ignored (a library should not stop a program
// for a tuning knob). OMP_NUM_THREADS may list per-level counts: "4,2".
long environment_count(const char* name, bool zero_allowed) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return -1;
  char* end = nullptr;
  const long count = std::strtol(value, &end, 10);
  if (end != value && (*end == '\0' || *end == ',') && (count > 0 || (zero_allowed && count == 0)))
    return count;
  std::cerr << "cuseq: ignoring " << name << "=\"" << value << "\": expected "
            << (zero_allowed ? "a non-negative" : "a positive") << " integer\n";
  return -1;
}

int default_thread_count() {
  for (const char* name : {"CUSEQ_NUM_THREADS", "OMP_NUM_THREADS"}) {
    const long count = environment_count(name, false);
    if (count > 0) return static_cast<int>(std::min<long>(count, kMaxThreads));
  }
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return std::max(1, CPU_COUNT(&cpus));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::chrono::microseconds spin_from_environment() {
  const long microseconds = environment_count("CUSEQ_SPIN_MICROSECONDS", true);
  return microseconds >= 0 ? std::chrono::microseconds(microseconds) : kDefaultSpin;
}

class ThreadPool {
 public:
  ThreadPool(int threads, std::chrono::microseconds spin) : threads_(threads), spin_(spin) {}
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return threads_.load(std::memory_order_relaxed); }
  std::chrono::microseconds spin() const { return spin_; }

  void resize(int threads) {
    const std::lock_guard<std::mutex> busy(busy_);
    stop_workers();
    threads_.store(threads, std::memory_order_relaxed);
  }

  // Runs the loop on this thread and the workers; false (nothing run) when
  // another thread's loop holds the pool.
  bool try_run(std::int64_t tasks, TaskRunner runner, const void* context) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    if (workers_.empty()) start_workers();
    runner_.store(runner, std::memory_order_relaxed);
    context_.store(context, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    const std::uint32_t generation = ++generation_;
    claim_.store(std::uint64_t{generation} << 32 | static_cast<std::uint64_t>(tasks));
    if (sleepers_.load() > 0) {
      { const std::lock_guard<std::mutex> lock(sleep_mutex_); }
      wake_.notify_all();
    }
    run_claimed_tasks(generation);
    // What is left are tasks that workers claimed and are running now.
    for (int polls = 0; done_.load(std::memory_order_acquire) != tasks; ++polls) {
      if (polls < 64) {
        cpu_relax();
      } else {
        std::this_thread::yield();
      }
    }
    return true;
  }

 private:
  // Claims and runs tasks of loop `generation` until none is left.
  // A task that throws ends the program (as in an OpenMP loop): others may be
  // running on the same context.
  void run_claimed_tasks(std::uint32_t generation) noexcept {
    inside_task = true;
    std::uint64_t word = claim_.load(std::memory_order_acquire);
    while (static_cast<std::uint32_t>(word >> 32) == generation &&
           static_cast<std::uint32_t>(word) > 0) {
      if (!claim_.compare_exchange_weak(word, word - 1, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
        continue;
      }
      const std::int64_t task = static_cast<std::uint32_t>(word) - 1;
      runner_.load(std::memory_order_relaxed)(context_.load(std::memory_order_relaxed), task);
      done_.fetch_add(1, std::memory_order_release);
      word = claim_.load(std::memory_order_acquire);
    }
    inside_task = false;
  }

  std::uint32_t published_generation() const {
    return static_cast<std::uint32_t>(claim_.load() >> 32);
  }

  // Returns the generation of the next loop, or false when the pool stops.
  bool wait_for_loop(std::uint32_t seen, std::uint32_t& next) {
    const Clock::time_point until = Clock::now() + spin_;
    for (int polls = 1;; ++polls) {
      if (stop_.load(std::memory_order_relaxed)) return false;
      next = published_generation();
      if (next != seen) return true;
      cpu_relax();
      // The clock is read every 16 polls: a poll is a few tens of nanoseconds.
      if (polls % 16 == 0 && Clock::now() >= until) break;
    }
    // The caller publishes claim_ and then reads sleepers_; this thread counts
    // itself in sleepers_ and then reads claim_ (all sequentially consistent):
    // one of the two sees the other, so no wake-up is lost.
    sleepers_.fetch_add(1);
    std::unique_lock<std::mutex> lock(sleep_mutex_);
    wake_.wait(lock, [&] { return stop_.load() || published_generation() != seen; });
    sleepers_.fetch_sub(1);
    next = published_generation();
    return !stop_.load();
  }

  void work(std::uint32_t seen) {
    std::uint32_t generation = 0;
    while (wait_for_loop(seen, generation)) {
      run_claimed_tasks(generation);
      seen = generation;
    }
  }

  void start_workers() {
    stop_.store(false);
    const std::uint32_t current = published_generation();
    for (int i = 1; i < threads(); ++i) workers_.emplace_back([this, current] { work(current); });
  }

  void stop_workers() {
    {
      const std::lock_guard<std::mutex> lock(sleep_mutex_);
      stop_.store(true);
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

  std::atomic<int> threads_;
  const std::chrono::microseconds spin_;
  std::mutex busy_;               // held by the thread whose loop runs
  std::uint32_t generation_ = 0;  // written under busy_
  std::atomic<std::uint64_t> claim_{0};
  std::atomic<TaskRunner> runner_{nullptr};
  std::atomic<const void*> context_{nullptr};
  std::atomic<std::int64_t> done_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> sleepers_{0};
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
};

// Never destroyed: workers may still be polling while the program exits.
ThreadPool& pool() {
  static ThreadPool* const instance =
      new ThreadPool(default_thread_count(), spin_from_environment());
  return *instance;
}

}  // namespace

int parallel_width() { return inside_task ? 1 : pool().threads(); }

namespace {

struct TeamTask {
  TeamRunner runner;
  const void* context;
  TeamBarrier* barrier;
  int team;
};

}  // namespace

// `team` tasks on a pool of at least `team` threads: a member blocks in its
// task until all have arrived at its first barrier, so no thread can claim
// two of them, and each runs on its own thread.
void run_parallel_team(int wanted, TeamRunner runner, const void* context) {
  const int team = std::min(wanted, parallel_width());
  if (team > 1) {
    TeamBarrier barrier(team);
    const TeamTask task{runner, context, &barrier, team};
    const TaskRunner run_member = [](const void* team_task, std::int64_t index) {
      const TeamTask& t = *static_cast<const TeamTask*>(team_task);
      TeamMember member{static_cast<int>(index), t.team, *t.barrier};
      t.runner(t.context, member);
    };
    if (pool().try_run(team, run_member, &task)) return;
  }
  TeamBarrier alone(1);
  TeamMember member{0, 1, alone};
  runner(context, member);
}

void TeamBarrier::arrive_and_wait() {
  const std::uint32_t generation = generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) == team_ - 1) {
    // The others only arrive again after they see the new generation.
    arrived_.store(0, std::memory_order_relaxed);
    generation_.store(generation + 1);
    if (sleepers_.load() > 0) {
      { const std::lock_guard<std::mutex> lock(sleep_mutex_); }
      wake_.notify_all();
    }
    return;
  }
  const Clock::time_point until = Clock::now() + pool().spin();
  for (int polls = 1; generation_.load(std::memory_order_acquire) == generation; ++polls) {
    cpu_relax();
    if (polls % 16 == 0 && Clock::now() >= until) {
      // As in the pool: this member counts itself in sleepers_ and then reads
      // generation_, the last one writes generation_ and then reads sleepers_.
      sleepers_.fetch_add(1);
      std::unique_lock<std::mutex> lock(sleep_mutex_);
      wake_.wait(lock, [&] { return generation_.load() != generation; });
      sleepers_.fetch_sub(1);
      return;
    }
  }
}

void run_parallel_tasks(std::int64_t tasks, TaskRunner runner, const void* context) {
  const bool alone = inside_task || tasks > kMaxTasks || pool().threads() == 1;
  if (alone || !pool().try_run(tasks, runner, context)) {
    for (std::int64_t task = 0; task < tasks; ++task) runner(context, task);
  }
}

}  // namespace cuseq::detail

namespace cuseq {

int num_threads() { return detail::pool().threads(); }

void set_num_threads(int threads) {
  check(threads >= 1 && threads <= detail::kMaxThreads, "set_num_threads",
        "expected a thread count from 1 to ", detail::kMaxThreads, ", got ", threads);
  detail::pool().resize(threads);
}

}  // namespace cuseq
