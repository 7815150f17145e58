import { library } from '../bench/tui-common.js';
const l = library(50); console.log(l.runbooks, l.stateDir);
