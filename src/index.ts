// The runner starts this file for both steps. The post step (cleanup) needs a few small modules;
// the main step's modules are a separate chunk, loaded only by the main step.
import {runPostStep} from './post.js';
import {isPost} from './state.js';

if (isPost()) await runPostStep();
else await (await import('./main.js')).run();
