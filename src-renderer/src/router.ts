import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import LibraryView from './views/LibraryView.vue';

/** The app's sections, in navigation order. */
export const SECTIONS = [
  { path: '/library', name: 'library', title: 'Library' },
  { path: '/label', name: 'label', title: 'Label' },
  { path: '/train', name: 'train', title: 'Train' },
  { path: '/evaluate', name: 'evaluate', title: 'Evaluate' },
  { path: '/use', name: 'use', title: 'Use' },
  { path: '/export', name: 'export', title: 'Export' },
] as const;

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/library' },
  { path: '/library', name: 'library', component: LibraryView },
  { path: '/label', name: 'label', component: () => import('./views/LabelView.vue') },
  { path: '/train', name: 'train', component: () => import('./views/TrainView.vue') },
  { path: '/evaluate', name: 'evaluate', component: () => import('./views/EvaluateView.vue') },
  { path: '/use', name: 'use', component: () => import('./views/UseView.vue') },
  { path: '/export', name: 'export', component: () => import('./views/ExportView.vue') },
];

/** Hash history: works from file:// in Electron and from any path in serve mode. */
export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
