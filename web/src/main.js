// Entry point: creates the Vue application with the router and i18n, and mounts it once the
// first route (and with it the session check) has resolved, so the header never flickers.
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './i18n.js';
import { repairPopups } from './a11y.js';
import './styles.css';

const app = createApp(App);
app.use(i18n);
app.use(router);
router.isReady().catch(() => {}).then(() => app.mount('#app'));
repairPopups();
