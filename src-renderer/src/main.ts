import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installApiClient } from './api/use-api';
import { createAppRouter } from './router';
import './styles.css';

installApiClient(window);
createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');
