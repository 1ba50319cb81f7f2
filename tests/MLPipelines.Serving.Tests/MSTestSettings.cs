// One test at a time: the tests share 2 cores with a server, a browser and its renderer.
[assembly: DoNotParallelize]
