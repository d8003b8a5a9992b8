# Integration tests of the policy forms, denials and the wrapper.
