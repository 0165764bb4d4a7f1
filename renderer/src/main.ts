import { mount } from 'svelte';
import App from './App.svelte';
import { connectStudio } from './lib/api';
import { Studio } from './lib/studio.svelte';
import './app.css';

const studio = new Studio(connectStudio());
mount(App, { target: document.getElementById('app')!, props: { studio } });
