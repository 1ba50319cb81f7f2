// One test at a time: libtorch's thread count is process-wide, and the worker-process tests share 2 cores.
[assembly: DoNotParallelize]
