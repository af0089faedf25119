// Runs kernels with CUDA's execution model on the CPU. Every thread of a
// block is a fiber (Boost.Context) that runs until it reaches a barrier, a
// warp collective or its end; the scheduler then resumes a thread picked at
// random among those that may run, from a generator seeded once per process
// (CUSEQ_EMULATOR_SEED, printed at the first launch) and per launch. So the
// threads between two barriers run in a shuffled order, and a thread that
// reads shared data another thread writes without a barrier between them
// reads it before or after, by the seed, not by luck of a fixed order.
//
// The blocks of a normal launch run one after another, in shuffled order; the
// blocks of a cooperative launch are all resident at once (their threads are
// all in the one scheduler), as grid.sync() needs. Everything runs on the
// launching host thread: one fiber at a time, so no host data races.
//
// A fault the device would turn into a hang or undefined behaviour (threads
// that wait at different barriers, a warp collective whose mask names an
// exited lane, static shared memory in a cooperative kernel) stops the launch:
// it is printed with the block, thread and seed, and the launch returns
// cudaErrorLaunchFailure. Stopping unwinds every started thread (an exception
// thrown where it waits), so its fiber is free for the next launch.
#include <algorithm>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cuseq_emulator/device_memory.h"
#include "cuseq_emulator/launch.h"
#include "device_limits.h"
#include "runtime_state.h"

#if defined(__SANITIZE_ADDRESS__)
#define CUSEQ_EMULATOR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CUSEQ_EMULATOR_ASAN 1
#endif
#endif
#if defined(CUSEQ_EMULATOR_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace cuseq::emulator {
namespace {

namespace context = boost::context;

constexpr int kWarpSize = 32;
// Kernels are shallow, but AddressSanitizer's redzones triple a frame.
constexpr std::size_t kFiberStackBytes = 256 << 10;
// Bytes past a block's dynamic shared memory that must stay untouched
// (poisoned for AddressSanitizer, checked after the block without it).
constexpr std::size_t kSharedGuardBytes = 64;
constexpr unsigned char kSharedGuardByte = 0xA5;
// Fresh shared memory is all ones: NaN as float or double, -1 as an integer.
constexpr unsigned char kUninitializedByte = 0xFF;

enum class Wait { running, block_barrier, warp, grid_barrier, done, stopped };

// Thrown in a thread of a stopped launch: unwinds it to its worker's loop.
struct ThreadStopped {};

const char* wait_name(Wait wait) {
  switch (wait) {
    case Wait::block_barrier:
      return "__syncthreads()";
    case Wait::warp:
      return "a warp collective (__shfl_*_sync, __ballot_sync, __syncwarp)";
    case Wait::grid_barrier:
      return "grid.sync()";
    default:
      return "nothing";
  }
}

struct Block;
struct Worker;

struct EmulatedThread {
  ThreadCoordinates coordinates;
  Block* block = nullptr;
  int warp = 0, lane = 0;
  Wait wait = Wait::running;
  Worker* worker = nullptr;
};

struct Warp {
  unsigned lanes = 0;    // lanes that exist (the last warp of a block may be partial)
  unsigned exited = 0;   // lanes whose thread has returned
  unsigned arrived = 0;  // lanes waiting in the current collective
  unsigned mask = 0;     // the current collective's mask
  unsigned generation = 0;
  // Two sets of words: a lane reads the words of collective g while another
  // lane may already write those of g + 1, never those of g + 2.
  std::uint64_t words[2][kWarpSize] = {};
  std::vector<EmulatedThread*> waiting;
};

struct Block {
  uint3 index{};
  std::vector<EmulatedThread> threads;
  std::vector<Warp> warps;
  int live = 0;
  std::vector<EmulatedThread*> at_barrier;
  std::vector<unsigned char> dynamic_shared;  // the bytes asked for, then the guard
  std::size_t dynamic_shared_bytes = 0;
};

struct Launch {
  LaunchConfig config;
  const std::function<void()>* body = nullptr;
  std::mt19937_64 random;
  std::uint64_t seed = 0;
  std::vector<EmulatedThread*> runnable;
  int grid_live = 0;
  std::vector<EmulatedThread*> at_grid_barrier;
  std::string failure;    // set by the first fault; the launch stops
  bool stopping = false;  // resumed threads unwind
};

thread_local Launch* current_launch = nullptr;
thread_local EmulatedThread* current_thread = nullptr;

// ---- Fibers ---------------------------------------------------------------

// Tells AddressSanitizer which stack the code runs on after a switch, so it
// neither reports the other stack's frames nor loses its fake stacks.
struct StackSwitch {
#if defined(CUSEQ_EMULATOR_ASAN)
  static void start(void** fake_stack, const void* bottom, std::size_t size) {
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
  }
  static void finish(void* fake_stack, const void** bottom, std::size_t* size) {
    __sanitizer_finish_switch_fiber(fake_stack, bottom, size);
  }
#else
  static void start(void**, const void*, std::size_t) {}
  static void finish(void*, const void**, std::size_t*) {}
#endif
};

// A fiber that runs emulated threads one after another, kept for reuse:
// creating a fiber and its stack per thread would cost more than most threads.
struct Worker {
  context::fiber fiber;      // the worker, while it is suspended
  context::fiber scheduler;  // the scheduler, while the worker runs
  EmulatedThread* job = nullptr;
  const void* stack_bottom = nullptr;
  std::size_t stack_size = 0;
  const void* scheduler_bottom = nullptr;
  std::size_t scheduler_size = 0;
  void* fake_stack = nullptr;

  // From the worker: back to the scheduler until it resumes this worker.
  void suspend() {
    StackSwitch::start(&fake_stack, scheduler_bottom, scheduler_size);
    scheduler = std::move(scheduler).resume();
    StackSwitch::finish(fake_stack, &scheduler_bottom, &scheduler_size);
  }
};

void thread_finished(EmulatedThread& thread);

// The stack allocator that records where the stack is, for StackSwitch.
struct RecordingStack {
  Worker* worker;
  context::protected_fixedsize_stack stacks{kFiberStackBytes};
  context::stack_context allocate() {
    context::stack_context stack = stacks.allocate();
    worker->stack_bottom = static_cast<char*>(stack.sp) - stack.size;
    worker->stack_size = stack.size;
    return stack;
  }
  void deallocate(context::stack_context& stack) noexcept { stacks.deallocate(stack); }
};

// Idle workers of this host thread. Never destroyed: a worker left suspended
// by a stopped launch cannot be unwound, and the stacks are a few MiB.
std::vector<Worker*>& idle_workers() {
  thread_local auto* const idle = new std::vector<Worker*>();
  return *idle;
}

Worker* new_worker() {
  auto* worker = new Worker();
  worker->fiber = context::fiber(
      std::allocator_arg, RecordingStack{worker}, [worker](context::fiber&& scheduler) {
        worker->scheduler = std::move(scheduler);
        StackSwitch::finish(nullptr, &worker->scheduler_bottom, &worker->scheduler_size);
        for (;;) {
          try {
            (*current_launch->body)();
            thread_finished(*worker->job);
          } catch (const ThreadStopped&) {
            worker->job->wait = Wait::stopped;
          }
          worker->suspend();
        }
        return std::move(worker->scheduler);
      });
  return worker;
}

Worker* take_worker() {
  auto& idle = idle_workers();
  if (idle.empty()) return new_worker();
  Worker* worker = idle.back();
  idle.pop_back();
  return worker;
}

// From the scheduler: runs `thread` until it waits, finishes or faults.
void resume(EmulatedThread& thread) {
  current_thread = &thread;
  thread.wait = Wait::running;
  Worker* worker = thread.worker;
  worker->job = &thread;
  void* fake_stack = nullptr;
  StackSwitch::start(&fake_stack, worker->stack_bottom, worker->stack_size);
  worker->fiber = std::move(worker->fiber).resume();
  StackSwitch::finish(fake_stack, nullptr, nullptr);
  current_thread = nullptr;
  if (thread.wait == Wait::done || thread.wait == Wait::stopped) {
    idle_workers().push_back(worker);
    thread.worker = nullptr;
  }
}

// ---- Faults ---------------------------------------------------------------

std::string where(const EmulatedThread& thread) {
  const ThreadCoordinates& c = thread.coordinates;
  std::ostringstream text;
  text << "block (" << c.block.x << "," << c.block.y << "," << c.block.z << "), thread ("
       << c.thread.x << "," << c.thread.y << "," << c.thread.z << ")";
  return text.str();
}

std::string launch_shape(const Launch& launch) {
  const LaunchConfig& c = launch.config;
  std::ostringstream text;
  text << "grid (" << c.grid.x << "," << c.grid.y << "," << c.grid.z << ") x block (" << c.block.x
       << "," << c.block.y << "," << c.block.z << "), " << c.dynamic_shared_bytes
       << " bytes of dynamic shared memory" << (c.cooperative ? ", cooperative" : "")
       << "; schedule seed " << launch.seed << " (CUSEQ_EMULATOR_SEED=" << launch.seed
       << " repeats it)";
  return text.str();
}

// Stops the launch with `message`, and the calling thread with it.
[[noreturn]] void fault(const std::string& message) {
  Launch* launch = current_launch;
  if (launch == nullptr) {
    report(message + " (outside a kernel)");
    std::abort();
  }
  if (launch->failure.empty()) launch->failure = message;
  throw ThreadStopped{};
}

EmulatedThread& running_thread(const char* what) {
  if (current_thread == nullptr) {
    report(std::string(what) + " called outside a kernel");
    std::abort();
  }
  return *current_thread;
}

// ---- Barriers -------------------------------------------------------------

void make_runnable(std::vector<EmulatedThread*>& waiting) {
  for (EmulatedThread* thread : waiting) current_launch->runnable.push_back(thread);
  waiting.clear();
}

// A barrier opens when every thread that has not returned waits at it
// (threads that returned count as arrived, as on the device).
void open_block_barrier_if_complete(Block& block) {
  if (!block.at_barrier.empty() && static_cast<int>(block.at_barrier.size()) == block.live) {
    make_runnable(block.at_barrier);
  }
}

void open_grid_barrier_if_complete(Launch& launch) {
  if (!launch.at_grid_barrier.empty() &&
      static_cast<int>(launch.at_grid_barrier.size()) == launch.grid_live) {
    make_runnable(launch.at_grid_barrier);
  }
}

void wait_until_resumed(EmulatedThread& thread, Wait wait) {
  thread.wait = wait;
  thread.worker->suspend();
  if (current_launch->stopping) throw ThreadStopped{};
}

void thread_finished(EmulatedThread& thread) {
  thread.wait = Wait::done;
  Block& block = *thread.block;
  Warp& warp = block.warps[static_cast<std::size_t>(thread.warp)];
  const unsigned bit = 1u << thread.lane;
  warp.exited |= bit;
  if (warp.arrived != 0 && (warp.mask & bit) != 0 && current_launch->failure.empty()) {
    current_launch->failure = "lane " + std::to_string(thread.lane) + " (" + where(thread) +
                              ") returned while the other lanes of its warp wait for it in a "
                              "warp collective whose mask names it";
  }
  --block.live;
  open_block_barrier_if_complete(block);
  --current_launch->grid_live;
  open_grid_barrier_if_complete(*current_launch);
}

// ---- Running blocks ---------------------------------------------------------

std::uint64_t process_seed() {
  static std::once_flag once;
  static std::uint64_t seed = 0;
  std::call_once(once, [] {
    if (const char* text = std::getenv("CUSEQ_EMULATOR_SEED"); text != nullptr && *text != '\0') {
      seed = std::strtoull(text, nullptr, 10);
    } else {
      seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    }
    report("thread schedule seed " + std::to_string(seed) +
           " (CUSEQ_EMULATOR_SEED=" + std::to_string(seed) + " repeats this run's schedules)");
  });
  return seed;
}

std::uint64_t next_launch_seed() {
  static std::mutex mutex;
  static std::uint64_t launches = 0;
  const std::uint64_t base = process_seed();
  const std::lock_guard<std::mutex> lock(mutex);
  // splitmix64 of (seed, launch number): distinct, well-mixed streams.
  std::uint64_t z = base + 0x9E3779B97F4A7C15ULL * ++launches;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::unique_ptr<Block> make_block(const Launch& launch, unsigned linear_index) {
  const LaunchConfig& c = launch.config;
  auto block = std::make_unique<Block>();
  block->index = {linear_index % c.grid.x, linear_index / c.grid.x % c.grid.y,
                  linear_index / (c.grid.x * c.grid.y)};
  const unsigned count = c.block.x * c.block.y * c.block.z;
  block->threads.resize(count);
  block->warps.resize((count + kWarpSize - 1) / kWarpSize);
  block->live = static_cast<int>(count);
  for (unsigned t = 0; t < count; ++t) {
    EmulatedThread& thread = block->threads[t];
    thread.coordinates = {{t % c.block.x, t / c.block.x % c.block.y, t / (c.block.x * c.block.y)},
                          block->index,
                          c.block,
                          c.grid};
    thread.block = block.get();
    thread.warp = static_cast<int>(t / kWarpSize);
    thread.lane = static_cast<int>(t % kWarpSize);
    block->warps[t / kWarpSize].lanes |= 1u << thread.lane;
  }
  block->dynamic_shared_bytes = c.dynamic_shared_bytes;
  block->dynamic_shared.assign(c.dynamic_shared_bytes, kUninitializedByte);
  block->dynamic_shared.resize(c.dynamic_shared_bytes + kSharedGuardBytes, kSharedGuardByte);
#if defined(CUSEQ_EMULATOR_ASAN)
  ASAN_POISON_MEMORY_REGION(block->dynamic_shared.data() + c.dynamic_shared_bytes,
                            kSharedGuardBytes);
#endif
  return block;
}

// Without AddressSanitizer an overrun of dynamic shared memory is found
// afterwards, by the guard bytes it changed.
void check_shared_guard(Launch& launch, Block& block) {
#if defined(CUSEQ_EMULATOR_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(block.dynamic_shared.data() + block.dynamic_shared_bytes,
                              kSharedGuardBytes);
#endif
  for (std::size_t i = 0; i < kSharedGuardBytes; ++i) {
    if (block.dynamic_shared[block.dynamic_shared_bytes + i] != kSharedGuardByte) {
      if (launch.failure.empty()) {
        launch.failure = "block (" + std::to_string(block.index.x) + "," +
                         std::to_string(block.index.y) + "," + std::to_string(block.index.z) +
                         ") wrote " + std::to_string(i) +
                         " bytes past the end of its dynamic shared memory";
      }
      return;
    }
  }
}

std::string deadlock_report(const std::vector<std::unique_ptr<Block>>& blocks) {
  std::ostringstream text;
  text << "deadlock: no thread can run, yet some have not returned (the device would hang):";
  int listed = 0;
  for (const auto& block : blocks) {
    for (const EmulatedThread& thread : block->threads) {
      if (thread.wait == Wait::done) continue;
      if (listed++ < 8) text << "\n  " << where(thread) << " waits at " << wait_name(thread.wait);
    }
  }
  if (listed > 8) text << "\n  ... and " << listed - 8 << " more";
  return text.str();
}

// Runs `blocks` (all resident together) until every thread returns.
void run_resident(Launch& launch, std::vector<std::unique_ptr<Block>>& blocks) {
  launch.runnable.clear();
  launch.grid_live = 0;
  for (auto& block : blocks) {
    for (EmulatedThread& thread : block->threads) {
      thread.worker = take_worker();
      launch.runnable.push_back(&thread);
    }
    launch.grid_live += block->live;
  }
  while (!launch.runnable.empty() && launch.failure.empty()) {
    std::uniform_int_distribution<std::size_t> pick(0, launch.runnable.size() - 1);
    const std::size_t chosen = pick(launch.random);
    EmulatedThread* thread = launch.runnable[chosen];
    launch.runnable[chosen] = launch.runnable.back();
    launch.runnable.pop_back();
    resume(*thread);
  }
  for (auto& block : blocks) check_shared_guard(launch, *block);
  if (launch.failure.empty() && launch.grid_live > 0) launch.failure = deadlock_report(blocks);
}

// Unwinds the threads of a stopped launch that wait somewhere, and frees the
// workers of those that never started.
void stop(Launch& launch, std::vector<std::unique_ptr<Block>>& blocks) {
  launch.stopping = true;
  for (auto& block : blocks) {
    for (EmulatedThread& thread : block->threads) {
      if (thread.worker == nullptr) continue;
      if (thread.wait == Wait::running) {  // taken but never started
        idle_workers().push_back(thread.worker);
        thread.worker = nullptr;
      } else {
        resume(thread);
      }
    }
  }
}

cudaError_t check_config(const LaunchConfig& c) {
  const unsigned block_dims[3] = {c.block.x, c.block.y, c.block.z};
  const unsigned grid_dims[3] = {c.grid.x, c.grid.y, c.grid.z};
  for (int d = 0; d < 3; ++d) {
    if (block_dims[d] == 0 || block_dims[d] > kMaxBlockDim[d]) return cudaErrorInvalidConfiguration;
    if (grid_dims[d] == 0 || grid_dims[d] > kMaxGridDim[d]) return cudaErrorInvalidConfiguration;
  }
  const unsigned long long threads = 1ULL * c.block.x * c.block.y * c.block.z;
  if (threads > static_cast<unsigned long long>(kMaxThreadsPerBlock)) {
    return cudaErrorInvalidConfiguration;
  }
  if (c.dynamic_shared_bytes > max_dynamic_shared_bytes(c.kernel)) {
    return cudaErrorLaunchOutOfResources;
  }
  if (c.stream != nullptr && !is_live_stream(c.stream)) return cudaErrorInvalidResourceHandle;
  if (c.cooperative) {
    const unsigned long long blocks = 1ULL * c.grid.x * c.grid.y * c.grid.z;
    const int per_multiprocessor =
        blocks_per_multiprocessor(static_cast<int>(threads), c.dynamic_shared_bytes);
    if (blocks > 1ULL * per_multiprocessor * kMultiprocessors) {
      return cudaErrorCooperativeLaunchTooLarge;
    }
  }
  return cudaSuccess;
}

// One launch at a time per process: the kernels of two host threads would
// otherwise share the static __shared__ arrays.
std::mutex& launch_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

cudaError_t run_grid(const LaunchConfig& config, const std::function<void()>& thread_body) {
  if (const cudaError_t error = check_config(config); error != cudaSuccess) return record(error);
  if (current_launch != nullptr) {
    report("a kernel launched from inside a kernel: dynamic parallelism is not emulated");
    std::abort();
  }
  const std::lock_guard<std::mutex> lock(launch_mutex());
  Launch launch;
  launch.config = config;
  launch.body = &thread_body;
  launch.seed = next_launch_seed();
  launch.random.seed(launch.seed);
  current_launch = &launch;
  const unsigned block_count = config.grid.x * config.grid.y * config.grid.z;
  std::vector<unsigned> order(block_count);
  for (unsigned b = 0; b < block_count; ++b) order[b] = b;
  std::shuffle(order.begin(), order.end(), launch.random);
  std::vector<std::unique_ptr<Block>> resident;
  if (config.cooperative) {
    for (const unsigned b : order) resident.push_back(make_block(launch, b));
    run_resident(launch, resident);
  } else {
    for (const unsigned b : order) {
      if (!launch.failure.empty()) break;
      resident.clear();
      resident.push_back(make_block(launch, b));
      run_resident(launch, resident);
    }
  }
  if (!launch.failure.empty()) stop(launch, resident);
  current_launch = nullptr;
  if (!launch.failure.empty()) {
    report("kernel stopped: " + launch.failure + "\n  launch: " + launch_shape(launch));
    return record(cudaErrorLaunchFailure);
  }
  return cudaSuccess;
}

const ThreadCoordinates& coordinates() { return running_thread("threadIdx/blockIdx").coordinates; }

int lane_id() { return running_thread("a warp intrinsic").lane; }

void block_barrier() {
  EmulatedThread& thread = running_thread("__syncthreads()");
  Block& block = *thread.block;
  block.at_barrier.push_back(&thread);
  open_block_barrier_if_complete(block);
  wait_until_resumed(thread, Wait::block_barrier);
}

void grid_barrier() {
  EmulatedThread& thread = running_thread("grid.sync()");
  if (!current_launch->config.cooperative) {
    fault("grid.sync() in a kernel that was not launched cooperatively (" + where(thread) +
          "): its blocks need not be resident together, so on the device it may never return");
  }
  current_launch->at_grid_barrier.push_back(&thread);
  open_grid_barrier_if_complete(*current_launch);
  wait_until_resumed(thread, Wait::grid_barrier);
}

bool in_cooperative_launch() {
  return current_launch != nullptr && current_launch->config.cooperative;
}

const std::uint64_t* warp_exchange(unsigned mask, std::uint64_t word) {
  EmulatedThread& thread = running_thread("a warp collective");
  Warp& warp = thread.block->warps[static_cast<std::size_t>(thread.warp)];
  const unsigned bit = 1u << thread.lane;
  std::ostringstream why;
  if ((mask & bit) == 0) {
    why << "lane " << thread.lane << " calls a warp collective with mask 0x" << std::hex << mask
        << ", which leaves it out";
  } else if ((mask & ~warp.lanes) != 0) {
    why << "a warp collective's mask 0x" << std::hex << mask << " names lanes that do not exist";
  } else if ((mask & warp.exited) != 0) {
    why << "a warp collective's mask 0x" << std::hex << mask << " names lanes that have returned";
  } else if (warp.arrived != 0 && warp.mask != mask) {
    why << "lanes of one warp wait in collectives with different masks (0x" << std::hex << warp.mask
        << " and 0x" << mask << ")";
  }
  if (!why.str().empty()) fault(why.str() + " (" + where(thread) + ")");
  warp.mask = mask;
  const unsigned set = warp.generation & 1u;
  warp.words[set][thread.lane] = word;
  warp.arrived |= bit;
  warp.waiting.push_back(&thread);
  if (warp.arrived == warp.mask) {
    warp.arrived = 0;
    ++warp.generation;
    make_runnable(warp.waiting);
  }
  wait_until_resumed(thread, Wait::warp);
  return warp.words[set];
}

void check_lane_in_mask(unsigned mask, int lane, const char* intrinsic) {
  if (((mask >> lane) & 1u) == 0) {
    const EmulatedThread& thread = running_thread(intrinsic);
    std::ostringstream why;
    why << intrinsic << " reads lane " << lane << ", which is not in its mask 0x" << std::hex
        << mask << " (" << where(thread) << ")";
    fault(why.str());
  }
}

void* dynamic_shared_memory() {
  return running_thread("extern __shared__").block->dynamic_shared.data();
}

StaticSharedGuard::StaticSharedGuard() {
  if (current_thread != nullptr && current_launch->config.cooperative) {
    fault("a static __shared__ array in a cooperatively launched kernel (" +
          where(*current_thread) +
          "): the emulator keeps one copy per kernel, which the resident blocks would share; "
          "use dynamic shared memory (CUSEQ_DYNAMIC_SHARED)");
  }
}

}  // namespace cuseq::emulator
