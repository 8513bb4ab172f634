/** TorchServe's vision default handlers, reimplemented on DJL with torchvision's preprocessing. */
package dev.serval.handlers.image;
