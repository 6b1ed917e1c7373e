import { render } from 'preact';
import '../common/site.css';
import './workspace.css';
import { App } from './App.tsx';

render(<App />, document.getElementById('app')!);
