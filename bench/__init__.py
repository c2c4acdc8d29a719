"""`make bench` (`python -m bench`): does every page keep its speed as the record grows?

Not part of the product: nothing in the apps imports this package, and it is not an
installed app. It drives the apps from outside, as a council's record would grow.
"""
