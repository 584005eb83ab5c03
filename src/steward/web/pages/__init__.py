"""The portal's server-rendered pages: plain links and forms, JavaScript never required."""
