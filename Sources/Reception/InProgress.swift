// In progress: replaced by the service's code.
