// The pool behind every parallel CPU loop (cuseq/threads.h says why it is
// ours and not OpenMP's). parallel_tasks(n, task) runs task(0) .. task(n-1)
// on the calling thread and the pool's workers, and returns when all are done.
// Tasks are claimed one at a time from a shared counter: whichever thread is
// running takes the next one, so a worker that the OS has not scheduled yet
// costs nothing (the caller does its share), where OpenMP's static schedule
// and closing barrier would wait for it.
#pragma once

#include <cstdint>

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

}  // namespace cuseq::detail
