// One test at a time: the scorer already uses every core, and the memory test reads process-wide GC figures.
[assembly: DoNotParallelize]
