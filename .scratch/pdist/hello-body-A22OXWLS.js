import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{d as o,e as r,f,i as l}from"./chunk-6DLNA2KF.js";import{d as n}from"./chunk-JRJFCKEQ.js";var e=n(l(),1);function t(){return f(()=>{}),(0,e.jsx)(o,{children:"Hello from Ink"})}r((0,e.jsx)(t,{}));
//# sourceMappingURL=hello-body-A22OXWLS.js.map
