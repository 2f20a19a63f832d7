// Entry point: one API (Electron preload or browser host), one App.
import { mount } from 'svelte';
import App from './App.svelte';
import { connectToSealmail } from './api/connect-to-sealmail.js';
import './theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target, props: { api: connectToSealmail() } });
