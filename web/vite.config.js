// Build configuration of the Guanbiao web UI. `npm run build` writes web/dist, which the C
// server serves (hashed files under /assets/, precompressed by scripts/compress.mjs).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

// `npm run dev` forwards API calls to a running `guanbiao serve` (default 127.0.0.1:8080).
const apiTarget = process.env.GUANBIAO_API || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components used in templates are imported (with their CSS) where used,
    // so each route chunk carries only what it renders.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    target: 'es2020',
    assetsInlineLimit: 0, // no data: URLs; every asset is a file the server can cache
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Shared chunks are otherwise named after their first module, often an Element Plus
        // `style/css` file; call those "shared" so dist/ reads clearly.
        chunkFileNames: (chunk) => (chunk.name === 'css' || chunk.name === 'index' ? 'assets/shared-[hash].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
});
