/** @module The console's entry: the session around the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionRoot } from './session/session.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SessionRoot>
      <App />
    </SessionRoot>
  </StrictMode>,
);
