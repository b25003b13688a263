# Install rules: written with the package config.
