// The pool behind every parallel CPU loop (cuseq/threads.h says why it is
// ours and not OpenMP's). parallel_tasks(n, task) runs task(0) .. task(n-1)
// on the calling thread and the pool's workers, and returns when all are done.
// Tasks are claimed one at a time from a shared counter: whichever thread is
// running takes the next one, so a worker that the OS has not scheduled yet
// costs nothing (the caller does its share), where OpenMP's static schedule
// and closing barrier would wait for it.
//
// parallel_team(wanted, task) is for work whose threads must wait for each
// other (a time loop with one barrier per step): it runs task(member) once on
// each of the team's threads at the same time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace cuseq::detail {

using TaskRunner = void (*)(const void* context, std::int64_t task);

// Threads a loop started now may use: num_threads(), or 1 inside a task (no
// nested parallelism) or while another thread's loop holds the pool.
int parallel_width();
void run_parallel_tasks(std::int64_t tasks, TaskRunner runner, const void* context);

template <class Task>
void parallel_tasks(std::int64_t tasks, const Task& task) {
  if (tasks == 1) return task(std::int64_t{0});
  run_parallel_tasks(
      tasks,
      [](const void* context, std::int64_t index) { (*static_cast<const Task*>(context))(index); },
      &task);
}

// The barrier of a parallel_team: arrive_and_wait() returns once all `team`
// members have called it (again and again, one generation per call). A
// member that waits polls for the pool's spin (CUSEQ_SPIN_MICROSECONDS: the
// steps of a small recurrent layer take microseconds) and then sleeps, so a
// loaded machine loses no core to it.
class TeamBarrier {
 public:
  explicit TeamBarrier(int team) : team_(team) {}
  TeamBarrier(const TeamBarrier&) = delete;
  TeamBarrier& operator=(const TeamBarrier&) = delete;
  void arrive_and_wait();

 private:
  const int team_;
  std::atomic<int> arrived_{0};
  std::atomic<std::uint32_t> generation_{0};
  std::atomic<int> sleepers_{0};
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
};

// One member of a parallel_team.
struct TeamMember {
  int index, team;
  TeamBarrier& barrier;
};

using TeamRunner = void (*)(const void* context, TeamMember& member);

// Runs runner(context, member) for members 0 .. team-1, each on its own
// thread, all at the same time, with one barrier for the team:
// team = min(wanted, parallel_width()), or 1 (this thread alone) when
// another thread's loop holds the pool.
void run_parallel_team(int wanted, TeamRunner runner, const void* context);

template <class Task>
void parallel_team(int wanted, const Task& task) {
  run_parallel_team(
      wanted,
      [](const void* context, TeamMember& member) { (*static_cast<const Task*>(context))(member); },
      &task);
}

}  // namespace cuseq::detail
