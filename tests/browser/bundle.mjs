// bundle.mjs builds a line's page script (harness.tsx and the packages it
// shares with the plugin) into .cache/browser/<line>/harness.js with the
// project's own webpack and swc. Bare imports resolve in the line's
// node_modules first (lines.mjs), so the page holds that line's @grafana/*,
// React and rxjs, the ones a Grafana of that line gives the plugin.
// webpack's cache (one per line) keeps reruns fast.
import path from 'node:path';
import webpack from 'webpack';

import { cacheDir, outDirOf, root } from './lines.mjs';

/** bundle resolves when the line's harness.js is written, and rejects with webpack's errors. */
export function bundle(line) {
  const outDir = outDirOf(line);
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: root,
    entry: path.join(root, 'tests', 'browser', 'harness.tsx'),
    output: { path: outDir, filename: 'harness.js' },
    cache: { type: 'filesystem', cacheDirectory: path.join(cacheDir, 'webpack-cache'), name: line.name },
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'],
      // The line's packages first; a package only the project has (none of
      // the shared ones) still resolves the usual way.
      modules: [line.modules, 'node_modules'],
    },
    resolveLoader: { modules: [path.join(root, 'node_modules')] },
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
