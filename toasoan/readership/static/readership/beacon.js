// View, then engaged time + scroll depth (readership/views.py). No cookie; GPC/DNT honoured.
(()=>{const D=document,c=D.currentScript,u=c&&c.dataset.viewBeacon,n=navigator;
if(!u||n.globalPrivacyControl||n.doNotTrack=="1"||D.prerendering)return;
const b=(p,o)=>n.sendBeacon(p,new URLSearchParams(o)),V=()=>D.visibilityState=="visible";
let t=0,T=0,d=0,S=0,e=1,r=0,a=Date.now();
for(const k of["scroll","keydown","pointermove","touchstart"])addEventListener(k,()=>a=Date.now(),{passive:!0});
const m=()=>{const g=(D.querySelector("article")||D.body).getBoundingClientRect();d=Math.max(d,Math.min(100,Math.round((innerHeight-g.top)/g.height*100)))},
f=()=>{m();const o={s:t-T,d:d-S};if(!o.s&&!o.d)return;if(e)o.e=1,e=0;if(d>74&&!r)o.t=r=1;T=t;S=d;b(u+"doc/",o)};
setInterval(()=>{if(V()&&Date.now()-a<15e3)t++;if(t-T>14)f()},1e3);
addEventListener("visibilitychange",()=>V()||f());addEventListener("pagehide",f);
const v=()=>b(u,{r:D.referrer,q:location.search});D.readyState=="complete"?v():addEventListener("load",v)})();
