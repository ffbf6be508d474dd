// bundle.mjs builds the browser suite's page script (harness.tsx and the
// packages it shares with the plugin) into .cache/browser/harness.js with the
// project's own webpack and swc, so the page holds the same @grafana/*, React
// and rxjs that the plugin is built against. webpack's cache keeps reruns fast.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const outDir = path.join(root, '.cache', 'browser');

/** bundle resolves when harness.js is written, and rejects with webpack's errors. */
export function bundle() {
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: root,
    entry: path.join(root, 'tests', 'browser', 'harness.tsx'),
    output: { path: outDir, filename: 'harness.js' },
    cache: { type: 'filesystem', cacheDirectory: path.join(outDir, 'webpack-cache') },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
    module: {
      rules: [
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      ],
    },
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
  });
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => {});
      if (error) {
        reject(error);
      } else if (stats.hasErrors()) {
        reject(new Error(stats.toString({ all: false, errors: true })));
      } else {
        resolve(path.join(outDir, 'harness.js'));
      }
    });
  });
}
