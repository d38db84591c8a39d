// The canvas libraries, bundled into one script (../www/vendor/graph.js) under the global KgGraph.
export { default as Graph } from "graphology";
export { default as Sigma } from "sigma";
export { default as forceAtlas2 } from "graphology-layout-forceatlas2";
export { createNodeBorderProgram } from "@sigma/node-border";
