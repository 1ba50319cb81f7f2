// ONNX Runtime and libtorch use every core: one test at a time.
[assembly: DoNotParallelize]
