// Placeholder: this target's tests land in files beside this one.
