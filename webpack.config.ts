import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { AssetInfo, Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// Extends the scaffold's config, which copies the root plugin.json's logos and screenshots. A nested
// plugin's logo and screenshots are resolved next to its own plugin.json, so its whole img/ folder
// (img/logo.svg, img/screenshots/*.png) is copied here.
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return merge(base, {
    // Screenshots are for the plugin catalog; Grafana never loads them with the plugin's code, so
    // webpack's size hint (meant for what a page downloads) leaves them out, as its default filter
    // leaves out source maps (assets marked `development`).
    performance: {
      assetFilter: (name: string, _source: unknown, info: AssetInfo) =>
        !info.development && !/(^|\/)img\/screenshots\//.test(name),
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panels/kpitrend/img', to: 'panels/kpitrend/img' },
        ],
      }),
    ],
  });
};

export default config;
