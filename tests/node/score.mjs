// node score.mjs MODEL.onnx SIZE FILE.rgba...: each file is SIZE*SIZE*4 RGBA bytes (the picture fitted into the
// canvas); prints {"classes": [...], "results": [{"file", "probabilities", "inkFound"}]} as JSON.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [model, sizeText, ...files] = process.argv.slice(2);
const size = Number(sizeText);
const session = await ort.InferenceSession.create(model);
const results = [];
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes.length !== size * size * 4) throw new Error(`${file}: ${bytes.length} bytes, expected ${size * size * 4}`);
  const output = await session.run({ Canvas: new ort.Tensor('uint8', bytes, [1, size, size, 4]) });
  results.push({ file, probabilities: Array.from(output.Probabilities.data), inkFound: output.InkFound.data[0] });
}
console.log(JSON.stringify({ inputs: session.inputNames, results }));
