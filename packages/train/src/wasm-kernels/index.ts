export * from './broadcast-tile.ts';
export * from './conv-geometry.ts';
export * from './conv2d-backprop.ts';
export * from './depthwise-backprop.ts';
export * from './max-pool-grad.ts';
export * from './register-wasm-kernels.ts';
export * from './identity-view.ts';
export * from './leading-axes-reduce.ts';
